// The verb families. Importing a family registers its executors.

import './data.js';
import './describe.js';

export { executorFor } from './registry.js';
