// beamlet dashboard: supervision tree. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

function nodeLabel(node) {
  return node.name ?? node.id ?? node.pid ?? "(unknown)";
}

function nodeLine(node) {
  if (node.pid) rememberLabel(node.pid, node.name ?? node.id ?? undefined);
  const line = el("span", { className: "node" });
  const label = nodeLabel(node);
  line.append(
    el("span", {
      className: node.type === "supervisor" ? "node-sup" : "node-worker",
      text: label,
    }),
  );
  const id = pidToId(node.pid);
  if (node.pid && label !== node.pid) line.append(" ", processLink(id, node.pid, "tree-link"));
  else if (id !== undefined) line.append(" ", processLink(id, "open", "tree-link"));
  const facts = [];
  if (node.type) facts.push(node.type);
  if (node.strategy) facts.push(node.strategy);
  if (node.kind && node.kind !== "supervisor") facts.push(node.kind);
  if (node.restart) facts.push(node.restart);
  if (node.restartIntensity && isNum(node.restartIntensity.intensity)) {
    facts.push(`${node.restartIntensity.intensity} in ${fmtMs(node.restartIntensity.period)}`);
  }
  if (!node.pid) facts.push("not running");
  if (facts.length) line.append(" ", el("span", { className: "meta", text: facts.join(" · ") }));
  return line;
}

function renderNode(node, path, depth) {
  const key = `${path}/${nodeLabel(node)}`;
  const children = Array.isArray(node.children) ? node.children : [];
  const notes = [];
  if (node.omittedChildren > 0) notes.push(`… ${fmtInt(node.omittedChildren)} more children`);
  if (node.depthTruncated) notes.push("… deeper levels not shown");
  if (node.nodesTruncated && !(node.omittedChildren > 0)) notes.push("… children not listed");
  if (node.childrenUnavailable) notes.push(`children unavailable (${node.childrenUnavailable})`);
  if (children.length === 0 && notes.length === 0) return el("li", null, nodeLine(node));
  const details = el("details");
  const remembered = state.treeOpen.get(key);
  details.open = remembered === undefined ? depth < 3 : remembered;
  details.addEventListener("toggle", () => state.treeOpen.set(key, details.open));
  const list = el("ul");
  children.forEach((child, i) => list.append(renderNode(child, `${key}#${i}`, depth + 1)));
  for (const note of notes) list.append(el("li", { className: "meta", text: note }));
  details.append(el("summary", null, nodeLine(node)), list);
  return el("li", null, details);
}

async function loadTree(force) {
  if (state.treeBusy) return;
  state.treeBusy = true;
  const host = $("tree");
  try {
    const tree = await getJson("tree");
    // Its age changes on every walk; the tree itself may not.
    const json = JSON.stringify({ ...tree, snapshotAgeMs: 0 });
    if (!force && json === state.treeJson) return;
    state.treeJson = json;
    const roots = tree && Array.isArray(tree.roots) ? tree.roots : [];
    if (roots.length === 0) {
      host.replaceChildren(el("p", { className: "meta", text: "no supervisors" }));
      return;
    }
    const list = el("ul", { className: "tree-root" });
    roots.forEach((root, i) => list.append(renderNode(root, `#${i}`, 0)));
    const parts = [list];
    if (tree.truncated) {
      const omitted = isNum(tree.omittedRoots) && tree.omittedRoots > 0
        ? `, ${fmtInt(tree.omittedRoots)} more trees left out`
        : "";
      parts.push(el("p", {
        className: "meta",
        text: `showing the first ${fmtInt(tree.nodes)} nodes (at most ${
          fmtInt(tree.maxNodes)
        })${omitted}`,
      }));
    }
    host.replaceChildren(...parts);
  } catch (error) {
    host.replaceChildren(
      el("p", {
        className: "meta",
        text: `cannot load: ${error && error.message ? error.message : error}`,
      }),
    );
    state.treeJson = "";
  } finally {
    state.treeBusy = false;
  }
}
