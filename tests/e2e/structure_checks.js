// Structural accessibility checks run in the page by test_accessibility.py; returns a list of
// problems (empty when the page passes): lang, one h1, landmarks, skip link first, unique ids,
// labelled inputs, img alt, aria references that resolve, invalid fields tied to their error,
// 44 px targets, no sideways scrolling at the phone width.
() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const describe = (el) => el.outerHTML.slice(0, 120);
  if (!document.documentElement.lang) problems.push("<html> has no lang");
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 elements`);
  for (const landmark of ["header", "main", "footer", "nav"]) {
    if (document.querySelectorAll(landmark).length < 1) problems.push(`no <${landmark}>`);
  }
  if (document.querySelectorAll("main").length !== 1) problems.push("not exactly one <main>");
  const skip = document.querySelector("a[href='#main']");
  if (!skip || skip !== document.querySelector("a[href], button, input, select, textarea"))
    problems.push("the skip link is not the first focusable element");
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`id "${id}" used ${n} times`);
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || !visible(el)) continue;
    const labelled = [...el.labels].some((label) => label.textContent.trim())
      || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!labelled) problems.push(`no label: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("img")) {
    if (!el.hasAttribute("alt")) problems.push(`img without alt: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("[aria-describedby], [aria-labelledby]")) {
    const refs = ["aria-describedby", "aria-labelledby"].map((name) => el.getAttribute(name) || "");
    for (const ref of refs.join(" ").split(/\s+/).filter(Boolean)) {
      if (!document.getElementById(ref)) problems.push(`missing #${ref} for ${describe(el)}`);
    }
  }
  for (const el of document.querySelectorAll("[aria-invalid=true]")) {
    const refs = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const described = refs.some(
      (ref) => document.getElementById(ref)?.classList.contains("errorlist"));
    if (!described) problems.push(`invalid field without its error: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("button, .button, input[type=submit]")) {
    if (!visible(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.height < 44 || box.width < 44) {
      problems.push(`target ${box.width}x${box.height}: ${describe(el)}`);
    }
  }
  if (document.documentElement.scrollWidth > innerWidth) problems.push("scrolls sideways at 390px");
  return problems;
}
