/**
 * The registered names of a pipeline's processes (internal): all under the
 * pipeline's name, so `system.whereis("orders.processor.0")` finds one.
 *
 * @module
 */

/** The top supervisor. */
export const supervisorName = (pipeline: string): string => `${pipeline}.supervisor`;
/** The producers' supervisor. */
export const producersName = (pipeline: string): string => `${pipeline}.producers`;
/** The consumer stages' supervisor (processors, batchers, batch processors). */
export const consumersName = (pipeline: string): string => `${pipeline}.consumers`;
/** The process that drains the pipeline on shutdown. */
export const terminatorName = (pipeline: string): string => `${pipeline}.terminator`;
/** Producer `index`. */
export const producerName = (pipeline: string, index: number): string =>
  `${pipeline}.producer.${index}`;
/** Processor `index`. */
export const processorName = (pipeline: string, index: number): string =>
  `${pipeline}.processor.${index}`;
/** The batcher `batcher`. */
export const batcherName = (pipeline: string, batcher: string): string =>
  `${pipeline}.batcher.${batcher}`;
/** Batch processor `index` of batcher `batcher`. */
export const batchProcessorName = (pipeline: string, batcher: string, index: number): string =>
  `${pipeline}.batch_processor.${batcher}.${index}`;
