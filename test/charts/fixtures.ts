// One script per result kind that has a chart, on the shared data sets.
// The chart tests run the script and draw its last result, so every
// chart is checked against what the verb really returns.

import { crowd, tabular } from '../helpers/index.js';

const loans = `load "${tabular('hmda.csv')}" as loans`;
/** Fashion-MNIST's test images, from Debian's dataset-fashion-mnist. */
export const fashion =
  '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';
const patients = `load annotations "${crowd('dawid_skene_patients.csv')}" ` +
  'item item worker worker label label as patients';
const trained = `seed 1
${loans}
split loans 70/30 stratify by afam into train_rows, test_rows
train logistic on train_rows target deny = "yes" features pirat, hirat, ` +
  'lvrat epochs 8 validation 0.2 as model';

/** Scripts whose last statement yields a result of the kind named. */
export const fixtures: Record<string, string> = {
  describe: `load "${tabular('pima_indians_diabetes2.csv')}" as pima
describe`,
  audit: `${loans}
audit by afam target deny = "no"`,
  compare: `seed 3
${loans}
sample 50% as half
compare loans, half by afam target deny = "yes"`,
  balance: `seed 4
${loans}
balance loans by afam target deny method oversample as balanced`,
  agreement: `${patients}
agreement`,
  workers: `${patients}
workers`,
  train: trained,
  evaluate: `${trained}
evaluate model on test_rows by afam`,
  load_images: `load images "${fashion}" as clothes`,
  augment: `load images "${fashion}" as clothes
augment flip horizontal where label = 6 times 1 as grown`,
};

/**
 * The kinds the issue asks charts for, and `workers` besides. Image
 * tables come from load images and augment (the contact sheet).
 */
export const chartedKinds = ['audit', 'compare', 'describe', 'evaluate',
  'train', 'balance', 'agreement', 'workers', 'load_images', 'augment'];
