/**
 * The console's stylesheet and script, served from this process (the CSP allows only self): the
 * pages work without the script, which only sorts, filters and asks before an approval.
 */
export const CONSOLE_CSS = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
main { padding: 1rem 1.5rem; }
.bar { display: flex; gap: 1rem; align-items: center; padding: .5rem 1.5rem; background: #17324d; color: #fff; }
.bar a { color: #fff; } .brand { font-weight: bold; text-decoration: none; } .who { margin-left: auto; }
.bar form { margin: 0; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
th, td { border: 1px solid #c8c8c8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; }
thead button { all: unset; cursor: pointer; text-decoration: underline; }
.problem-row { background: #fdecea; }
.badge { background: #a4000f; color: #fff; border-radius: .3rem; padding: 0 .3rem; font-size: .8rem; }
.problem { color: #a4000f; }
.held { border: 2px solid #a4000f; padding: .5rem 1rem; margin: 1rem 0; }
.danger { background: #a4000f; color: #fff; border: 0; padding: .4rem .8rem; border-radius: .3rem; }
del { color: #a4000f; } ins { color: #05612d; }
.added { color: #05612d; display: block; } .removed { color: #a4000f; display: block; }
.facts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
.facts dd { margin: 0; }
.login { max-width: 24rem; margin: 4rem auto; }
.login input { display: block; width: 100%; margin: .3rem 0 .8rem; }
ul.changes { margin: 0; padding-left: 1rem; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; } .actions form { margin: 0; }
`;

export const CONSOLE_JS = `
'use strict';
function cellValue(row, index) {
  var cell = row.children[index];
  if (!cell) return '';
  return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim().toLowerCase();
}
document.querySelectorAll('table.sortable').forEach(function (table) {
  var body = table.tBodies[0];
  table.querySelectorAll('[data-sort]').forEach(function (button) {
    var ascending = true;
    button.addEventListener('click', function () {
      var index = Number(button.dataset.sort);
      var numeric = button.dataset.sortType === 'number';
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = cellValue(a, index), y = cellValue(b, index);
        var order = numeric ? (Number(x || Infinity) - Number(y || Infinity)) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      table.querySelectorAll('th[aria-sort]').forEach(function (th) { th.removeAttribute('aria-sort'); });
      button.parentElement.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      ascending = !ascending;
    });
  });
});
function filterTenants(id) {
  var table = document.getElementById(id);
  var text = document.querySelector('[data-filter="' + id + '"]');
  var problems = document.querySelector('[data-problems-only="' + id + '"]');
  var wanted = text ? text.value.trim().toLowerCase() : '';
  Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
    var shown = row.textContent.toLowerCase().indexOf(wanted) >= 0 && (!problems || !problems.checked || row.dataset.problem === 'yes');
    row.hidden = !shown;
  });
}
document.querySelectorAll('[data-filter], [data-problems-only]').forEach(function (input) {
  var id = input.dataset.filter || input.dataset.problemsOnly;
  input.addEventListener('input', function () { filterTenants(id); });
});
function filterDiff() {
  var table = document.getElementById('diff');
  if (!table) return;
  var op = document.querySelector('[data-diff-filter="op"]').value;
  var outcome = document.querySelector('[data-diff-filter="outcome"]').value;
  Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
    row.hidden = (op !== '' && row.dataset.op !== op) || (outcome !== '' && row.dataset.outcome !== outcome);
  });
}
document.querySelectorAll('[data-diff-filter]').forEach(function (select) {
  select.addEventListener('change', filterDiff);
});
document.querySelectorAll('form[data-confirm]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
`;
