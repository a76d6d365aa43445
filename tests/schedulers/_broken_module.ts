/**
 * A module that fails to load: a scheduler told to load it cannot start.
 *
 * @module
 */

throw new Error("this module refuses to load");
