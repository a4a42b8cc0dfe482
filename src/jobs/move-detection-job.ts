import { detectMoves } from '../moves/detect-moves.js';
import type { JobDefinition } from './job.js';

export const moveDetectionJob: JobDefinition = {
  name: 'move-detection',
  description:
    'Raise move events from new enrollments and qualifying moves; close enrolled notices',
  defaultCron: '*/30 * * * * *',
  run: (ctx) => detectMoves(ctx.store, ctx.config, ctx.now),
};
