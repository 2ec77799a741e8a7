/**
 * The package's name for transcript.ts, which the client loads lazily (`record`, through
 * client-parts.ts). Declared here rather than re-exported: see "Lazily loaded modules" in
 * index.ts.
 */
import { Transcript as TranscriptClass } from '../transcript/transcript.js';

/** A session transcript as JSON lines: see transcript.ts. */
export const Transcript = TranscriptClass;
export type Transcript = TranscriptClass;
