export * from './common';
export * from './contract';
export * from './fields';
export * from './frames';
export * from './panel-query';
export * from './queries';
export * from './registry';
export * from './validators';
