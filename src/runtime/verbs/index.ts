// The verb families. Importing a family registers its executors.

import './audit.js';
import './crowd.js';
import './data.js';
import './describe.js';
import './images.js';
import './model.js';
import './output.js';
import './repair.js';

export { executorFor } from './registry.js';
