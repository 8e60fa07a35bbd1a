import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '../platform/metrics.js';

export const ledgerMetrics = {
  results: new Counter({
    name: 'flechage_ledger_transfer_results_total',
    help: 'Transfer requests decided by the ledger, by result code.',
    labelNames: ['code'] as const,
    registers: [metricsRegistry],
  }),
  refusals: new Counter({
    name: 'flechage_ledger_writer_refusals_total',
    help: 'Requests refused by the batching writer before reaching the database.',
    labelNames: ['reason'] as const,
    registers: [metricsRegistry],
  }),
  queueLength: new Gauge({
    name: 'flechage_ledger_queue_length',
    help: 'Transfer requests waiting for the next batch.',
    registers: [metricsRegistry],
  }),
  batchSize: new Histogram({
    name: 'flechage_ledger_batch_size',
    help: 'Transfer requests per committed batch.',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
    registers: [metricsRegistry],
  }),
  batchSeconds: new Histogram({
    name: 'flechage_ledger_batch_seconds',
    help: 'Time to decide and commit one batch.',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [metricsRegistry],
  }),
};
