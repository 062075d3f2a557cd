/**
 * A check that fires on many instances of one cause (tasks of one Celery app, calls through one helper,
 * endpoints of one API) reports one finding with the count and every location as evidence, the primary
 * one first, from this many instances on: a review reads like a reviewer's, not like a linter's.
 */
export const GROUP_FROM = 5;
