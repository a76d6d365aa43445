/**
 * Supervisors and dynamic supervisors, their child specs, options, reports and errors.
 *
 * @module
 */

export * from "./supervisor.ts";
export * from "./dynamic_supervisor.ts";
export * from "./child_spec.ts";
export * from "./child_info.ts";
export * from "./options.ts";
export * from "./report.ts";
export * from "./errors.ts";
export * from "./partition_supervisor.ts";
export * from "./supervisor_settings.ts";
