import { z } from 'zod';
import { defineContract } from '../contract';

export const experiment = defineContract({
  type: 'experiment',
  label: 'Experiment',
  description: 'Per variant: conversion, lift, p-value, SRM',
  schema: z
    .object({
      type: z.literal('experiment'),
      experiment: z.string().min(1).max(200),
      control: z.string().min(1).max(200).default('control'),
    })
    .strict(),
});
