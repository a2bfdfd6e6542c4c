/** The committed lifecycle picture is the machine's: a change to either without `npm run diagram` fails here. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIFECYCLE_MARKERS, TRANSITIONS_MARKERS, readBetweenMarkers, renderLifecycleDiagram, renderLifecycleDocument, renderTransitionTable, replaceBetweenMarkers } from './diagram';
import { applicationMachine } from './machine';

const root = join(__dirname, '..', '..', '..', '..');
const RUN = 'out of date: run `npm run diagram`';

describe('the lifecycle diagram', () => {
  it(`docs/lifecycle.md holds the diagram and the transition table the machine gives (${RUN})`, () => {
    const doc = readFileSync(join(root, 'docs', 'lifecycle.md'), 'utf8');
    expect(readBetweenMarkers(doc, LIFECYCLE_MARKERS)).toBe(renderLifecycleDiagram().trim());
    expect(readBetweenMarkers(doc, TRANSITIONS_MARKERS)).toBe(renderTransitionTable().trim());
  });

  it(`README.md, when it has the lifecycle markers, holds the same diagram (${RUN})`, () => {
    const readme = join(root, 'README.md');
    const section = existsSync(readme) ? readBetweenMarkers(readFileSync(readme, 'utf8')) : null;
    if (section !== null) expect(section).toBe(renderLifecycleDiagram().trim());
  });

  it('draws every state, every transition of the machine and the final states', () => {
    const diagram = renderLifecycleDiagram();
    expect(diagram.startsWith('```mermaid\nstateDiagram-v2\n  [*] --> none')).toBe(true);
    for (const state of Object.keys(applicationMachine.config.states ?? {})) expect(diagram).toContain(`  ${state} : ${state}`);
    expect(diagram).toContain('  signed --> approved : ApproveApplication');
    expect(diagram).toContain('  draft --> draft : EditDraft / SetRights');
    expect(diagram).toContain('  revoked --> [*]');
    expect(diagram).not.toContain('  approved --> [*]');
  });

  it('follows a change of the machine', () => {
    const changed = {
      config: {
        initial: 'a',
        states: { a: { on: { Go: { target: 'b', guard: { type: 'rules', params: { rules: ['actorIsSystem'] } } }, Stay: [{}], Jump: 'b' } }, b: { type: 'final' } },
      },
    };
    expect(renderLifecycleDiagram(changed as never)).toBe(
      ['```mermaid', 'stateDiagram-v2', '  [*] --> a', '  a --> b : Go / Jump', '  a --> a : Stay', '  b --> [*]', '```'].join('\n'),
    );
    expect(renderTransitionTable(changed as never)).toContain('| a | Go | b | `actorIsSystem` |');
  });

  it('a fresh docs/lifecycle.md carries both sections between their markers', () => {
    const doc = renderLifecycleDocument();
    expect(readBetweenMarkers(doc, LIFECYCLE_MARKERS)).toBe(renderLifecycleDiagram());
    expect(readBetweenMarkers(doc, TRANSITIONS_MARKERS)).toBe(renderTransitionTable());
  });

  it('replaces only what lies between the markers, and says when they are absent', () => {
    const text = `intro\n${LIFECYCLE_MARKERS.start}\nold\n${LIFECYCLE_MARKERS.end}\noutro`;
    expect(replaceBetweenMarkers(text, 'new')).toBe(`intro\n${LIFECYCLE_MARKERS.start}\nnew\n${LIFECYCLE_MARKERS.end}\noutro`);
    expect(replaceBetweenMarkers('no markers', 'new')).toBeNull();
    expect(readBetweenMarkers('no markers')).toBeNull();
  });
});
