/**
 * 信息员配备 on 统计概览: the information officers staffed against the plan (区级 2 名、每镇 2 名、每村
 * 1 名, item 16) over the caller's area, and where they are missing (GET /api/stats/information-officers).
 */
import { Alert, Card, CardContent, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';

export function InformationOfficers() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const staffing = useQuery({ queryKey: ['informationOfficerStaffing'], queryFn: () => dataProvider.getInformationOfficerStaffing() });
  const s = staffing.data;
  const short = s
    ? [
        ...(s.district?.shortfall ? [{ place: translate('fangfan.information_officers.district'), shortfall: s.district.shortfall }] : []),
        ...s.towns.flatMap((t) => [
          ...(t.shortfall ? [{ place: t.town, shortfall: t.shortfall }] : []),
          ...t.villages.filter((v) => v.shortfall).map((v) => ({ place: `${t.town}${v.village}`, shortfall: v.shortfall })),
        ]),
      ]
    : [];
  return (
    <Card sx={{ mt: 2 }} data-testid="information-officers">
      <CardContent>
        <Typography variant="h6" component="h2">
          {translate('fangfan.information_officers.title')}
        </Typography>
        {staffing.error && <Alert severity="error">{staffing.error.message}</Alert>}
        {s && (
          <>
            <Typography variant="body2" color="text.secondary">
              {translate('fangfan.information_officers.plan', s.plan)}
            </Typography>
            <Typography sx={{ my: 1 }} fontWeight="bold">
              {translate('fangfan.information_officers.total', s.total)}
            </Typography>
            {short.length === 0 && <Typography variant="body2">{translate('fangfan.information_officers.complete')}</Typography>}
            {short.slice(0, 12).map((x) => (
              <Typography key={x.place} variant="body2">
                {translate('fangfan.information_officers.short_at', x)}
              </Typography>
            ))}
            {short.length > 12 && <Typography variant="body2">…</Typography>}
          </>
        )}
      </CardContent>
    </Card>
  );
}
