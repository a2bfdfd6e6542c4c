export { maskSecrets } from './mask';
export { createLogger, type LogSink } from './logger';
export { Metrics, type CommandOutcome, type ScrapeSources } from './metrics';
export { projectionLag, executorProgress } from './scrape-sources';
export { startTracing, type Tracing, type TracingOptions } from './tracing';
export { instrumentStore } from './instrumented-store';
export { checkReadiness, storeAnswers, readModelDatabaseAnswers, projectionsHealthy, NotReady, type ReadinessCheck, type ReadinessReport } from './readiness';
export { startProbeServer, type ProbeServer } from './probe-server';
