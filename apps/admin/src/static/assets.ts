/** The stylesheet: readable on a laptop screen, no build step. */
export const APP_CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232b;background:#f5f6f8}
header{display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px;padding:10px 20px;background:#1f3a5f;color:#fff}
header a{color:#fff;text-decoration:none;opacity:.9}header a:hover,header a.active{opacity:1;text-decoration:underline}
header .brand{font-weight:600;margin-right:12px}header .spacer{flex:1}
header form{display:inline;margin:0}header button{background:none;border:1px solid #fff8;color:#fff;border-radius:4px;padding:2px 8px;cursor:pointer}
main{max-width:1200px;margin:0 auto;padding:20px}
h1{font-size:22px;margin:0 0 16px}h2{font-size:18px;margin:24px 0 10px}h3{font-size:15px;margin:12px 0 6px}
.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:14px 16px;margin-bottom:14px}
table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e6e9ee;vertical-align:top}
th{font-weight:600;background:#f0f2f5}
label{display:block;margin:8px 0 3px;font-weight:500}
input[type=text],input[type=email],input[type=password],input[type=number],input[type=date],input[type=url],select,textarea{width:100%;max-width:560px;padding:6px 8px;border:1px solid #c5cbd3;border-radius:4px;font:inherit}
textarea{max-width:100%;min-height:120px}
.inline{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}.inline label{margin-top:0}.inline>div{min-width:140px}
button,.button{display:inline-block;background:#2d6cdf;color:#fff;border:0;border-radius:4px;padding:7px 14px;font:inherit;cursor:pointer;text-decoration:none}
button.secondary{background:#e6e9ee;color:#1d232b}button.danger{background:#c73a3a}
.flash{padding:10px 14px;border-radius:6px;margin-bottom:14px;white-space:pre-line;overflow-wrap:anywhere}.flash.ok{background:#e3f5e8;border:1px solid #9bd3ab}.flash.error{background:#fdeaea;border:1px solid #eaa}
.warn{background:#fff6dd;border:1px solid #e8cf7a;padding:10px 14px;border-radius:6px}
.muted{color:#667}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
pre{white-space:pre-wrap;background:#f0f2f5;padding:8px;border-radius:4px}
.msg{border-left:4px solid #ccd;padding:6px 12px;margin:10px 0;background:#fff}.msg.customer{border-color:#2d6cdf}.msg.bot{border-color:#2f9e5b}.msg.agent{border-color:#d9822b}
.msg .who{font-size:13px;color:#556}.turn{margin:6px 0 14px 18px;font-size:14px}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;background:#e6e9ee;font-size:12px}
.badge.answer{background:#d8f0df}.badge.handoff{background:#fde2c8}.badge.ignore{background:#eee}.badge.clarify{background:#dfe8fb}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:10px}.stat{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px}
.stat b{display:block;font-size:22px}.pager{display:flex;gap:12px;align-items:center;margin:10px 0}
.inl{display:inline}.login{max-width:380px;margin:60px auto}
ol.steps li{margin:6px 0}
.table-wrap{overflow-x:auto}.stat small{display:block;font-size:12px;margin-top:2px}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:0 0 6px;font-size:13px}.legend-item{display:inline-flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px}.swatch.s0{background:#2d6cdf}.swatch.s1{background:#2f9e5b}.swatch.s2{background:#d9822b}
.badge.failed,.badge.quarantined{background:#f8d0d0;color:#7a1010}.badge.sent{background:#d8f0df}.msg.failed{border-color:#c73a3a;background:#fff5f5}
.failure{background:#fdeaea;border:1px solid #eaa;border-radius:6px;padding:8px 12px;margin:8px 0}
.preview{color:#556;font-size:13px;display:block;max-width:420px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.field-error{display:block;color:#a11;font-size:13px;margin-top:2px}[aria-invalid=true]{border-color:#c73a3a;background:#fff8f8}
fieldset{border:1px solid #e6e9ee;border-radius:6px;margin:10px 0;padding:6px 12px 10px;min-width:0}legend{font-weight:600;padding:0 4px}
.policy-row{border-top:1px dashed #dde1e6;padding-top:4px;margin-top:6px}.policy-row:first-of-type{border-top:0}fieldset textarea{min-height:0}
@media (max-width:700px){
main{padding:12px}header{padding:8px 12px;gap:4px 12px}h1{font-size:19px}
table{display:block;overflow-x:auto;max-width:100%}.inline>div{min-width:0;flex:1 1 140px}
.turn{margin-left:0}.grid{grid-template-columns:repeat(auto-fill,minmax(140px,1fr))}.preview{max-width:220px}
input[type=text],input[type=email],input[type=password],input[type=number],input[type=date],input[type=url],select,textarea{max-width:100%}
pre{overflow-x:auto}svg{max-width:100%}
}
`;

/**
 * Copy buttons: `<button data-copy="#id">` copies the text of the element `#id`. File pickers:
 * `<input type="file" data-file-into="#id">` reads the chosen file into the textarea `#id` (and its
 * name into `[name=fileName]` of the same form), so imports need no multipart upload. Forms with
 * `data-confirm` ask before a destructive action (revoking a token, deleting an article).
 */
export const APP_JS = `
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener('change', function (event) {
  var input = event.target;
  if (!input.getAttribute || !input.getAttribute('data-file-into') || !input.files || !input.files[0]) return;
  var target = document.querySelector(input.getAttribute('data-file-into'));
  var file = input.files[0];
  var reader = new FileReader();
  reader.onload = function () {
    if (target) target.value = String(reader.result);
    var name = input.form && input.form.querySelector('[name=fileName]');
    if (name) name.value = file.name;
  };
  reader.readAsText(file);
});
document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('[data-copy]');
  if (!button) return;
  var source = document.querySelector(button.getAttribute('data-copy'));
  if (!source) return;
  var text = source.value !== undefined ? source.value : source.textContent;
  var done = function () { button.textContent = button.getAttribute('data-copied') || 'OK'; };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () {});
  else { var r = document.createRange(); r.selectNodeContents(source); var s = getSelection(); s.removeAllRanges(); s.addRange(r); document.execCommand('copy'); done(); }
});
`;
