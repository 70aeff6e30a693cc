import { describe, expect, it } from 'vitest';
import type { ResourceChange } from '../../../src/core/plan.ts';
import { renderPlanMarkdown } from '../../../src/core/render-markdown.ts';
import { SECRET, aPlan, create, fullPlan, withSecret } from './plan-fixtures.ts';

function manyCreates(count: number): ResourceChange[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `room-${String(i).padStart(4, '0')}`;
    return {
      ...create,
      address: `room.${name}`,
      name,
      after: { name, emptyTimeout: 600, metadata: JSON.stringify({ i, pad: 'x'.repeat(100) }) },
    };
  });
}

describe('core/render-markdown', () => {
  it('renders the summary table first, then held, warnings and one details block per change', () => {
    expect(renderPlanMarkdown(fullPlan, { target: 'prod' })).toMatchSnapshot();
  });

  it('renders a small plan exactly', () => {
    expect(renderPlanMarkdown(aPlan({ changes: [create] }))).toBe(
      [
        '### livekit-gitops plan',
        '',
        '**Plan: 1 to create, 0 to update, 0 to delete, 0 other.**',
        '',
        '| Action | Count |',
        '| --- | ---: |',
        '| `+` create | 1 |',
        '| `~` update in place | 0 |',
        '| `-/+` replace | 0 |',
        '| `-` delete | 0 |',
        '| `>` `x` `!` other | 0 |',
        '| held back | 0 |',
        '',
        '#### Changes',
        '',
        '<details><summary><code>+ room.all-hands</code></summary>',
        '',
        '```diff',
        '+ name: "all-hands"',
        '+ emptyTimeout: 600',
        '+ metadata: "{\\"topic\\":\\"q3\\"}"',
        '```',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('says there are no changes', () => {
    expect(renderPlanMarkdown(aPlan())).toBe(
      '### livekit-gitops plan\n\n**No changes. LiveKit matches the specs.**\n\n',
    );
  });

  it('keeps a 70,000-character plan within 65,536 characters, with a truncation note', () => {
    const plan = aPlan({ changes: manyCreates(300) });
    const uncapped = renderPlanMarkdown(plan, { maxChars: Number.MAX_SAFE_INTEGER });
    expect(uncapped.length).toBeGreaterThan(70_000);

    const capped = renderPlanMarkdown(plan, { fullPlanUrl: 'https://ci.example/run/1#plan' });

    expect(capped.length).toBeLessThanOrEqual(65_536);
    expect(capped.startsWith('### livekit-gitops plan\n\n**Plan: 300 to create,')).toBe(true);
    expect(capped).toMatch(
      /> \*\*Output truncated\*\* to stay within the comment size limit: \d+ of 300 changes not shown\. Full plan: https:\/\/ci\.example\/run\/1#plan\n$/,
    );
    // Whole blocks only: every opened details block is closed.
    expect(capped.split('<details>').length).toBe(capped.split('</details>').length);
  });

  it.each([500, 2_000, 10_000])('never exceeds a small cap of %i', (maxChars) => {
    const result = renderPlanMarkdown(aPlan({ changes: manyCreates(200) }), { maxChars });

    expect(result.length).toBeLessThanOrEqual(maxChars);
  });

  it('clips one huge value instead of dropping every other resource', () => {
    const huge = { ...create, after: { name: 'big', metadata: 'm'.repeat(100_000) } };

    const result = renderPlanMarkdown(aPlan({ changes: [huge] }));

    expect(result.length).toBeLessThan(5_000);
    expect(result).toContain('(98002 more characters)');
  });

  it('uses a longer fence when a value contains backticks', () => {
    const ticks = { ...create, after: { name: 'x', metadata: 'a ``` b' } };

    expect(renderPlanMarkdown(aPlan({ changes: [ticks] }))).toContain('````diff\n');
  });

  it('masks and scrubs secrets', () => {
    const result = renderPlanMarkdown(aPlan({ changes: [withSecret] }), { secretValues: [SECRET] });

    expect(result).toContain('"secret":"(sensitive value)"');
    expect(result).not.toContain('s3cr3t');
  });
});
