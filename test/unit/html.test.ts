import assert from 'node:assert/strict';
import { it } from 'node:test';
import { html } from '../../src/core/http/oauth/html';

void it('escapes every interpolated value, nested markup excepted', () => {
  const name = `"><script>alert('x')</script>&`;
  const inner = html`<b>${name}</b>`;
  const page = html`<p title="${name}">${inner}${[html`<i>${'<'}</i>`, '>']}${undefined}${false}</p>`;
  assert.equal(
    page.value,
    '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"><b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</b><i>&lt;</i>&gt;</p>',
  );
});
