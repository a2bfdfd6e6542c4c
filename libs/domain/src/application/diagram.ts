/**
 * The lifecycle drawn from the machine, never by hand: a Mermaid stateDiagram-v2 and a table of
 * every transition with the rules that guard it. Pure (returns strings); scripts/diagram.ts writes
 * them into docs/lifecycle.md (and the README when it has the markers), and a spec fails when the
 * committed text differs from what the machine gives.
 */
import { applicationMachine, type RulesGuard } from './machine';

export const LIFECYCLE_MARKERS = { start: '<!-- lifecycle:start -->', end: '<!-- lifecycle:end -->' } as const;
export const TRANSITIONS_MARKERS = { start: '<!-- transitions:start -->', end: '<!-- transitions:end -->' } as const;

interface StateConfig {
  readonly type?: string;
  readonly description?: string;
  readonly on?: Record<string, TransitionConfig | readonly TransitionConfig[] | string>;
}
interface TransitionConfig {
  readonly target?: string | readonly string[];
  readonly guard?: RulesGuard;
}
interface MachineLike {
  readonly config: { readonly initial?: unknown; readonly states?: Record<string, unknown> };
}

export interface LifecycleTransition {
  readonly from: string;
  readonly command: string;
  readonly to: string;
  readonly rules: readonly string[];
}

/** Every (state, command, target) of the machine's config, in declaration order. */
export function listTransitions(machine: MachineLike = applicationMachine): LifecycleTransition[] {
  const states = (machine.config.states ?? {}) as Record<string, StateConfig>;
  return Object.entries(states).flatMap(([from, node]) =>
    Object.entries(node.on ?? {}).flatMap(([command, raw]) =>
      (Array.isArray(raw) ? raw : [raw]).flatMap((t: TransitionConfig | string) => {
        const config: TransitionConfig = typeof t === 'string' ? { target: t } : t;
        const targets = config.target === undefined ? [from] : ([] as string[]).concat(config.target);
        return targets.map((to) => ({ from, command, to: to.replace(/^\./, ''), rules: config.guard?.params.rules ?? [] }));
      }),
    ),
  );
}

export function renderLifecycleDiagram(machine: MachineLike = applicationMachine): string {
  const states = (machine.config.states ?? {}) as Record<string, StateConfig>;
  const lines = ['```mermaid', 'stateDiagram-v2', `  [*] --> ${String(machine.config.initial)}`];
  for (const [name, node] of Object.entries(states)) {
    if (node.description) lines.push(`  ${name} : ${name} (${node.description})`);
  }
  // One edge per (from, to): commands that share it are listed on one label, so the drawing stays legible.
  const edges = new Map<string, string[]>();
  for (const t of listTransitions(machine)) {
    const key = `${t.from} --> ${t.to}`;
    edges.set(key, [...(edges.get(key) ?? []), t.command]);
  }
  for (const [edge, commands] of edges) lines.push(`  ${edge} : ${commands.join(' / ')}`);
  for (const [name, node] of Object.entries(states)) {
    if (node.type === 'final') lines.push(`  ${name} --> [*]`);
  }
  lines.push('```');
  return lines.join('\n');
}

export function renderTransitionTable(machine: MachineLike = applicationMachine): string {
  const rows = listTransitions(machine).map(
    (t) => `| ${t.from} | ${t.command} | ${t.to} | ${t.rules.map((r) => `\`${r}\``).join(', ')} |`,
  );
  return ['| from | command | to | guard: every rule must hold |', '|---|---|---|---|', ...rows].join('\n');
}

/**
 * `text` with what lies between the markers replaced by `content`; null when the markers are absent
 * (the caller decides whether that is an error).
 */
export function replaceBetweenMarkers(text: string, content: string, markers: { start: string; end: string } = LIFECYCLE_MARKERS): string | null {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end, start + markers.start.length);
  if (start < 0 || end < 0) return null;
  return `${text.slice(0, start + markers.start.length)}\n${content}\n${text.slice(end)}`;
}

/** What lies between the markers, trimmed, or null when they are absent. */
export function readBetweenMarkers(text: string, markers: { start: string; end: string } = LIFECYCLE_MARKERS): string | null {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end, start + markers.start.length);
  if (start < 0 || end < 0) return null;
  return text.slice(start + markers.start.length, end).trim();
}

/** The whole of docs/lifecycle.md for a fresh file. */
export function renderLifecycleDocument(machine: MachineLike = applicationMachine): string {
  return [
    '# Application lifecycle',
    '',
    'Generated from `applicationMachine` (libs/domain/src/application/machine.ts) by `npm run diagram`;',
    'do not edit between the markers: a spec fails when this text differs from the machine.',
    '',
    LIFECYCLE_MARKERS.start,
    renderLifecycleDiagram(machine),
    LIFECYCLE_MARKERS.end,
    '',
    '## Transitions and their guards',
    '',
    'The rules are defined, with the error each refusal carries, in',
    '`libs/domain/src/application/rules/transition-rules.ts`. A command that has no row for the',
    "application's state is refused with `TRANSITION_NOT_ALLOWED`.",
    '',
    TRANSITIONS_MARKERS.start,
    renderTransitionTable(machine),
    TRANSITIONS_MARKERS.end,
    '',
  ].join('\n');
}
