// beamlet dashboard: header / notices. Concatenated by scripts/build_dashboard.ts, in file-name order,
// into one strict-mode function scope shared by every file of dashboard/app/.
// deno-lint-ignore-file no-unused-vars

function showNotice(text) {
  const notice = $("notice");
  if (!notice) return;
  notice.hidden = !text;
  setText(notice, text || "");
}

function setStatus(kind, text) {
  const badge = $("status");
  if (!badge) return;
  badge.setAttribute("data-state", kind);
  setText(badge, text);
}

function reportFailure(error) {
  if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
    setStatus("error", "unauthorized");
    showNotice(
      "Not authorized. Open this page once as dashboard?token=<your token> to sign in " +
        "(the token is kept in an HttpOnly cookie).",
    );
  } else {
    setStatus("error", "offline");
    showNotice(`Cannot reach the server: ${error && error.message ? error.message : error}`);
  }
  setText($("connection"), `last try ${fmtClock(Date.now())}`);
}
