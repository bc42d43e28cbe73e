import { afterAll, beforeAll, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app';
let t: TestApp;
beforeAll(async () => { t = await startTestApp({ worker: false }); });
afterAll(async () => t?.close());
it('shows', async () => {
  const show = async (as: string | null, o: any) => { const r = await t.call(as, o); console.log(o.method, o.url, r.statusCode, r.body.slice(0, 600)); };
  await show('cadre.rongguang', { method: 'PUT', url: '/api/households/H00000001', payload: {} });
  await show('cadre.rongguang', { method: 'POST', url: '/api/households', payload: { headName: '甲', idNumber: '500112195803121011', town: '统景镇', village: '吉星村', memberCount: 0, status: 'x', monitoringStatus: 'monitored' } });
  await show('cadre.rongguang', { method: 'POST', url: '/api/households', payload: { headName: '甲', idNumber: '500112195803121011', phone: '1', town: '统景镇', village: '吉星村', memberCount: 3 } });
  await show('yibao', { method: 'GET', url: '/api/households/H00000001' });
  await show('admin', { method: 'POST', url: '/api/auth/logout' });
  const doc = await t.app.inject({ method: 'GET', url: '/documentation/json' });
  const j = doc.json();
  console.log('doc', doc.statusCode, Object.keys(j.paths).filter((p: string) => /households|auth|calendar|health|villages|users/.test(p)));
  console.log(JSON.stringify(j.paths['/api/households/import'], null, 0).slice(0, 800));
  console.log(JSON.stringify(j.paths['/api/households/export.xlsx'].get.responses, null, 0).slice(0, 600));
  console.log(JSON.stringify(j.paths['/api/households'].post.requestBody, null, 0).slice(0, 1500));
});
