export * from './common';
export * from './contract';
export * from './frames';
export * from './panel-query';
export * from './queries';
export * from './validators';
export { VARIABLE_KINDS, VariableKind } from './queries/variables';
