import { expect, it } from 'vitest';
import { html } from '../../src/api/console/html.js';

it('escapes every interpolated text, in attributes and in content, and nests markup as is', () => {
  const reason = `"><script>alert('x')</script>&`;
  const row = html`<td title="${reason}">${reason}</td>`;
  const page = html`<table>${[row, row]}${undefined}${false}${0}</table>`;
  expect(page.text).not.toContain('<script>');
  expect(row.text).toBe(
    '<td title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</td>',
  );
  expect(page.text).toBe(`<table>${row.text}${row.text}0</table>`);
});
