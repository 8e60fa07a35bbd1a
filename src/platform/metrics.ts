import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry for the process; each domain registers its own metrics on it. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'flechage_' });
