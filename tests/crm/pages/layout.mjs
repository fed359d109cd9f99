// The HTML shell every mock CRM page shares, and the page shown once signed in.

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole document: `body` is trusted HTML written in this folder, `script` runs at the end. */
export function layout(title, body, script = '') {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 15px sans-serif; margin: 2em; }
  form, .box { max-width: 22em; }
  label { display: block; margin-top: .6em; }
  input { display: block; margin: .2em 0; padding: .3em; width: 18em; }
  .digits input { display: inline-block; width: 1.6em; text-align: center; }
  .error { color: #b00; }
  .el-button { display: inline-block; padding: .4em 1.2em; background: #409eff; color: #fff; cursor: pointer; }
</style>
</head>
<body>
${body}
${script ? `<script>\n${script}\n</script>` : ''}
</body>
</html>
`;
}

/** The CRM's home page, reached only with the session cookie a successful login set. */
export function signedInPage(user, page) {
  return layout(
    'Signed in',
    `<h1 id="signed-in">Welcome, ${escapeHtml(user)}</h1>
<p>Signed in through <code>/${escapeHtml(page)}</code>.</p>
<p><a href="/">All login pages</a></p>`,
  );
}

/** Client-side helper the scripted pages share: POST a JSON body, get the JSON answer. */
export const POST_JSON = `
async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}`;
