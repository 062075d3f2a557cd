/** Files that are scripts, CLIs, management commands or tooling rather than the running service. */
const NOT_SERVICE_CODE = /(^|\/)(scripts?|bin|tools?|cli|management\/commands|manage\.py|setup\.py|conftest\.py|noxfile\.py|fabfile\.py|docs?|examples?|migrations|alembic)(\/|$)|(^|\/)(cli|__main__|manage|setup|conftest)\.py$/;

/** Whether a file is application code that runs in the service (not a script, CLI, docs or migrations). */
export function isServiceCode(file: string): boolean {
  return !NOT_SERVICE_CODE.test(file);
}
