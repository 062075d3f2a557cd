/** Runs shorter than this show no progress at all. */
const QUIET_MS = 1000;
/** Counts within one stage are redrawn at most this often; a new stage is drawn at once. */
const REDRAW_MS = 100;

/**
 * A one-line progress display for stderr when it is a terminal: silent for the first second (a quick run
 * shows nothing), then the current stage, redrawn in place; "" clears the line if anything was drawn.
 */
export function progressLine(write: (text: string) => void, now: () => number = Date.now): (line: string) => void {
  const started = now();
  let lastDraw = 0;
  let lastStage = "";
  let drawn = false;
  return (line) => {
    const t = now();
    if (!line) {
      if (drawn) write("\r\u001b[2K");
      drawn = false;
      return;
    }
    const stage = line.replace(/\s\d.*$/, "");
    if (t - started < QUIET_MS || (stage === lastStage && t - lastDraw < REDRAW_MS)) return;
    lastDraw = t;
    lastStage = stage;
    drawn = true;
    write(`\r\u001b[2Karchscope: ${line}`);
  };
}
