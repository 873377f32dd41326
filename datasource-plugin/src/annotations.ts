import { AnnotationEvent, AnnotationQuery, AnnotationSupport, DataFrame, ScopedVars, TimeRange } from '@grafana/data';
import { ANNOTATION_KINDS, AnnotationKind } from '@saasmon/contract';
import { Observable, of } from 'rxjs';
import { expandList, Replace } from './request';
import { SaasmonQuery } from './types';

export const ANNOTATIONS_TYPE = 'annotations';

export const KIND_LABELS: Record<AnnotationKind, string> = {
  release: 'Releases',
  incident: 'Incidents',
  dr_test: 'DR tests',
  experiment: 'Experiments',
};

/** The saved annotation query: the kinds to show and, for incidents, their services. */
export function annotationQuery(refId: string, kinds?: string[], services?: string[]): SaasmonQuery {
  return { refId, queryType: ANNOTATIONS_TYPE, ...(kinds?.length ? { kinds } : {}), ...(services?.length ? { services } : {}) };
}

/** The body of POST /api/v1/query for an annotation query: the dashboard's range, the kinds (all by default). */
export function buildAnnotationRequest(q: SaasmonQuery, range: TimeRange, replace: Replace, scopedVars: ScopedVars = {}) {
  const kinds = expandList(q.kinds, replace, scopedVars);
  const services = expandList(q.services, replace, scopedVars);
  return {
    type: ANNOTATIONS_TYPE,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    ...(kinds ? { kinds } : {}),
    ...(services ? { services } : {}),
  };
}

/**
 * Rows of the `annotations` frame as Grafana events: an instant (timeEnd = time) is a marker, a
 * span a region; a span still open (timeEnd null) runs to now, and its text says it is open.
 */
export function annotationEvents(frames: DataFrame[], now: number = Date.now()): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const field = (name: string) => frame.fields.find((f) => f.name === name)?.values;
    const [time, timeEnd, title, text, tags] = ['time', 'timeEnd', 'title', 'text', 'tags'].map(field);
    if (!time) continue;
    for (let i = 0; i < frame.length; i++) {
      const start = Number(time[i]);
      const end = timeEnd?.[i] === null || timeEnd?.[i] === undefined ? undefined : Number(timeEnd[i]);
      const open = timeEnd !== undefined && end === undefined;
      const stop = open ? Math.max(start, now) : end;
      events.push({
        time: start,
        ...(stop !== undefined && stop !== start ? { timeEnd: stop, isRegion: true } : { isRegion: false }),
        title: title?.[i] === undefined ? undefined : String(title[i]),
        text: text?.[i] === undefined ? undefined : String(text[i]),
        tags: Array.isArray(tags?.[i]) ? (tags[i] as string[]) : [],
      });
    }
  }
  return events;
}

/**
 * Grafana's annotation support for saasmon: the editor picks kinds (and services), the query runs
 * through query() like a panel's, and the frame becomes markers and regions.
 */
export function annotationSupport(): AnnotationSupport<SaasmonQuery> {
  return {
    // Saved annotations have their query in `target`; an older one without it shows everything.
    prepareAnnotation(json: AnnotationQuery<SaasmonQuery>): AnnotationQuery<SaasmonQuery> {
      const target = json.target ?? annotationQuery('Anno');
      return { ...json, target: { ...target, refId: target.refId || 'Anno', queryType: ANNOTATIONS_TYPE } };
    },
    prepareQuery(anno: AnnotationQuery<SaasmonQuery>): SaasmonQuery | undefined {
      const t = anno.target;
      return annotationQuery(t?.refId || 'Anno', t?.kinds, t?.services);
    },
    processEvents(_anno: AnnotationQuery<SaasmonQuery>, data: DataFrame[]): Observable<AnnotationEvent[] | undefined> {
      return of(annotationEvents(data));
    },
    getDefaultQuery: () => annotationQuery('Anno', [...ANNOTATION_KINDS]),
  };
}
