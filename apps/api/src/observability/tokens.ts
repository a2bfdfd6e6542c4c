/** The process's metrics (Metrics) and tracing (Tracing), built in createApp and injected where measured. */
export const METRICS = Symbol('METRICS');
export const TRACING = Symbol('TRACING');
