// beamlet dashboard: the cluster panel. Concatenated by scripts/build_dashboard.ts, in
// file-name order, into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

// From `/overview`'s `cluster` (a node of `new System({ node, cluster })`): the cluster's name
// and every node up, this one included — its live processes as its last heartbeat said, since
// when this node hears it, and its shards, sharded entities and hand-offs in flight over every
// Sharding. A system without a cluster sends no `cluster`: the panel stays hidden.

/** The most nodes rendered (the server bounds the list already). */
const CLUSTER_MAX_ROWS = 256;

/** The cluster last rendered, as JSON: an unchanged cluster is not rebuilt every second. */
let clusterRendered = "";

function renderCluster(cluster) {
  const panel = $("cluster-panel");
  const body = $("cluster-rows");
  if (!panel || !body) return;
  const valid = cluster && typeof cluster === "object" && Array.isArray(cluster.nodes);
  if (!valid) {
    clusterRendered = "";
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const nodes = cluster.nodes.filter((n) => n && typeof n === "object");
  // upSince is fixed per node: the JSON changes only when the membership or the counts do.
  const json = JSON.stringify([cluster.name, cluster.node, nodes]);
  if (json === clusterRendered && body.childElementCount > 0) return;
  clusterRendered = json;
  const name = typeof cluster.name === "string" ? cluster.name : "?";
  setText(
    $("cluster-summary"),
    `${name} · ${fmtInt(nodes.length)} node${nodes.length === 1 ? "" : "s"} up`,
    nodes.length,
  );
  if (nodes.length === 0) return body.replaceChildren(placeholderRow(7, "none"));
  body.replaceChildren(...nodes.slice(0, CLUSTER_MAX_ROWS).map(clusterRow));
}

function clusterRow(n) {
  const node = typeof n.node === "string" ? n.node : "?";
  const name = el("td", { className: "cluster-node", text: node, testid: "cluster-node" });
  if (n.self === true) name.append(" ", el("span", { className: "meta", text: "this node" }));
  const since = isNum(n.upSince) && n.upSince > 0
    ? el("td", {
      className: "num",
      text: fmtDuration(Math.max(0, Date.now() - n.upSince)),
      title: new Date(n.upSince).toISOString(),
      testid: "cluster-up",
    })
    : el("td", { className: "num meta", text: "–", testid: "cluster-up" });
  const handoffs = isNum(n.handoffs) ? n.handoffs : 0;
  const row = el(
    "tr",
    { testid: "cluster-row" },
    name,
    el("td", { className: "num", text: fmtInt(n.processes), testid: "cluster-processes" }),
    since,
    el("td", { className: "num meta", text: isNum(n.incarnation) ? String(n.incarnation) : "–" }),
    el("td", { className: "num", text: fmtInt(n.shards), testid: "cluster-shards" }),
    el("td", { className: "num", text: fmtInt(n.entities), testid: "cluster-entities" }),
    el("td", {
      className: handoffs > 0 ? "num cluster-handoffs" : "num",
      text: fmtInt(handoffs),
      testid: "cluster-handoffs",
    }),
  );
  row.setAttribute("data-node", node);
  if (n.self === true) row.setAttribute("data-self", "");
  return row;
}
