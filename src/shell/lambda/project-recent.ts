// Entry point: project-recent, on the read-model table's stream (changes of destination views).
// Environment: READ_MODEL_TABLE_NAME.
import { createProjectRecentFunction } from '../functions/project-recent.js';
import { projectRecentDependencies } from './environment.js';

export const handler = createProjectRecentFunction(projectRecentDependencies());
