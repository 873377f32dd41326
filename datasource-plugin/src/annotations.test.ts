import { createDataFrame, dateTime, FieldType, TimeRange } from '@grafana/data';
import { lastValueFrom } from 'rxjs';
import { annotationEvents, annotationSupport, buildAnnotationRequest } from './annotations';
import { Replace } from './request';

const range: TimeRange = {
  from: dateTime('2026-06-01T00:00:00Z'),
  to: dateTime('2026-06-15T00:00:00Z'),
  raw: { from: 'now-14d', to: 'now' },
};
const VARS: Record<string, string[]> = { svc: ['api', 'db'] };
const replace: Replace = (value, _s, format) =>
  value.replace(/\$(\w+)/g, (m, name: string) =>
    VARS[name] ? (typeof format === 'function' ? format(VARS[name]) : VARS[name].join(',')) : m,
  );

it('builds the annotations body: the range, the kinds (all when none), the services with variables expanded', () => {
  expect(buildAnnotationRequest({ refId: 'Anno', queryType: 'annotations' }, range, replace)).toEqual({
    type: 'annotations',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
  });
  expect(
    buildAnnotationRequest({ refId: 'Anno', queryType: 'annotations', kinds: ['incident'], services: ['$svc'] }, range, replace),
  ).toMatchObject({
    kinds: ['incident'],
    services: ['api', 'db'],
  });
});

const NOW = Date.parse('2026-06-14T18:00:00Z');
const frame = createDataFrame({
  name: 'annotations',
  fields: [
    {
      name: 'time',
      type: FieldType.time,
      values: [Date.parse('2026-06-14T12:00:00Z'), Date.parse('2026-06-10T00:00:00Z'), Date.parse('2026-06-05T10:00:00Z')],
    },
    { name: 'timeEnd', type: FieldType.time, values: [null, Date.parse('2026-06-10T01:00:00Z'), Date.parse('2026-06-05T10:00:00Z')] },
    { name: 'title', type: FieldType.string, values: ['Incident: Checkout errors', 'Incident: Invoices late', 'Release v1.4.2'] },
    { name: 'text', type: FieldType.string, values: ['critical incident (open)', 'minor incident', 'v1.4.2 (minor) deployed'] },
    {
      name: 'tags',
      type: FieldType.other,
      values: [
        ['incident', 'critical', 'api'],
        ['incident', 'minor'],
        ['release', 'minor'],
      ],
    },
    { name: 'kind', type: FieldType.string, values: ['incident', 'incident', 'release'] },
  ],
});

it('turns spans into regions (open ones up to now) and instants into markers, with title, text and tags', () => {
  expect(annotationEvents([frame], NOW)).toEqual([
    {
      time: Date.parse('2026-06-14T12:00:00Z'),
      timeEnd: NOW,
      isRegion: true,
      title: 'Incident: Checkout errors',
      text: 'critical incident (open)',
      tags: ['incident', 'critical', 'api'],
    },
    {
      time: Date.parse('2026-06-10T00:00:00Z'),
      timeEnd: Date.parse('2026-06-10T01:00:00Z'),
      isRegion: true,
      title: 'Incident: Invoices late',
      text: 'minor incident',
      tags: ['incident', 'minor'],
    },
    {
      time: Date.parse('2026-06-05T10:00:00Z'),
      isRegion: false,
      title: 'Release v1.4.2',
      text: 'v1.4.2 (minor) deployed',
      tags: ['release', 'minor'],
    },
  ]);
  expect(annotationEvents([], NOW)).toEqual([]);
});

it('prepares saved annotations into annotation queries and processes frames into events', async () => {
  const support = annotationSupport();
  const prepared = support.prepareAnnotation?.({
    name: 'Incidents',
    enable: true,
    iconColor: 'red',
    target: { refId: '', kinds: ['incident'] },
  });
  expect(prepared?.target).toEqual({ refId: 'Anno', queryType: 'annotations', kinds: ['incident'] });
  expect(support.prepareAnnotation?.({ name: 'Old', enable: true, iconColor: 'red' }).target).toEqual({
    refId: 'Anno',
    queryType: 'annotations',
  });
  expect(support.prepareQuery?.(prepared!)).toEqual({ refId: 'Anno', queryType: 'annotations', kinds: ['incident'] });
  expect(support.getDefaultQuery?.()).toEqual({
    refId: 'Anno',
    queryType: 'annotations',
    kinds: ['release', 'incident', 'dr_test', 'experiment'],
  });
  const events = await lastValueFrom(support.processEvents!(prepared!, [frame]));
  expect(events?.map((e) => e.title)).toEqual(['Incident: Checkout errors', 'Incident: Invoices late', 'Release v1.4.2']);
});
