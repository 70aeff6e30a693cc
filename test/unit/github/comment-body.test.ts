import { describe, expect, it } from 'vitest';
import {
  buildCommentBody,
  isPlanComment,
  maxCommentChars,
  planMarker,
} from '../../../src/adapters/github/comment-body.ts';

function bigPlan(chars: number): string {
  const parts = ['Plan: 400 to create, 0 to update, 0 to delete, 0 other.', ''];
  for (let i = 0; parts.join('\n').length < chars; i++)
    parts.push(
      `<details><summary>+ room.r${i}</summary>`,
      '',
      '```diff',
      `+ name: r${i}`,
      '+ maxParticipants: 10',
      '```',
      '</details>',
    );
  return parts.join('\n');
}

describe('adapters/github/comment-body', () => {
  it('puts the marker on the first line and names commit and run', () => {
    const body = buildCommentBody({
      target: 'prod',
      markdown: 'No changes. LiveKit matches the specs.',
      headSha: 'c'.repeat(40),
      runUrl: 'https://github.com/acme/specs/actions/runs/9',
    });

    expect(body.split('\n')[0]).toBe('<!-- livekit-gitops:plan target=prod -->');
    expect(isPlanComment(body, 'prod')).toBe(true);
    expect(isPlanComment(body, 'default')).toBe(false);
    expect(body).toContain('`cccccccccccc`');
    expect(body).toContain('actions/runs/9');
  });

  it('truncates a 70,000-character plan to the limit with a note pointing to the run', () => {
    const markdown = bigPlan(70_000);
    const runUrl = 'https://github.com/acme/specs/actions/runs/42';

    const body = buildCommentBody({ markdown, headSha: 'd'.repeat(40), runUrl });

    expect(markdown.length).toBeGreaterThanOrEqual(70_000);
    expect(body.length).toBeLessThanOrEqual(maxCommentChars);
    expect(body.length).toBeGreaterThan(maxCommentChars - 2_000);
    expect(body).toContain('truncated');
    expect(body).toContain(`[workflow run](${runUrl})`);
    expect(body.startsWith(planMarker())).toBe(true);
    expect((body.match(/```/g) ?? []).length % 2).toBe(0);
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
  });

  it('rejects a target that could break the marker', () => {
    expect(() => planMarker('prod -->')).toThrow(/Bad target/);
  });
});
