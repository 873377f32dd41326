import { z } from 'zod';
import { defineContract } from '../contract';
import { key } from '../validators';

export const experiment = defineContract({
  type: 'experiment',
  label: 'Experiment',
  description: 'Per variant: conversion, lift, p-value, SRM',
  fields: { experiment: { values: 'experiments' } },
  schema: z
    .object({
      type: z.literal('experiment'),
      experiment: key,
      control: key.default('control'),
    })
    .strict(),
});
