/**
 * 书记遍访 on 督办与考核 (plan item 4; GET /api/stats/secretary-visits): for each secretary the caller may
 * see (supervisors every one, a town officer their town's), how many towns, villages or households they
 * must visit this year, how many they visited, the coverage, and the first places still unvisited. A
 * table on a wide screen, a card per secretary at phone width (stackedOnPhone).
 */
import { useState } from 'react';
import { Alert, Box, Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { VisitUnit } from '../../../contracts/secretary-visits';
import { stackedOnPhone } from '../lib/stackedTable';
import { postTitle } from '../users/PostInput';
import { YearCardHeader, currentYear } from './YearCardHeader';

/** Unvisited places shown per secretary; the rest are counted. */
const SHOWN = 5;

export function SecretaryVisits() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<AppDataProvider>();
  const [year, setYear] = useState(currentYear);
  const { data, isPending, error } = useQuery({ queryKey: ['secretaryVisits', year], queryFn: () => dataProvider.getSecretaryVisits(year) });
  const label = (c: string) => translate(`fangfan.supervision.secretaries.${c}`);
  const place = (u: VisitUnit) =>
    u.kind === 'town' ? u.town : u.kind === 'village' ? `${u.town}${u.village}` : `${u.village}${u.headName ?? ''}（${label(u.group === 'monitored' ? 'monitored' : 'out_of_poverty')}）`;
  return (
    <Card sx={{ mb: 2, minWidth: 0 }} data-testid="secretary-visits">
      <CardContent>
        <YearCardHeader title={label('title')} year={year} onYear={setYear} testId="secretary-visits-year" isPending={isPending} error={error} />
        {data && (
          <>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              {label('rule')}
            </Typography>
            {data.districtBasis === 'monitored' && (
              <Alert severity="info" sx={{ mb: 1 }}>
                {label('basis_monitored')}
              </Alert>
            )}
            {!data.secretaries.length && <Alert severity="info">{label('none')}</Alert>}
            {!!data.secretaries.length && (
              <Box>
                <Table size="small" sx={stackedOnPhone}>
                  <TableHead>
                    <TableRow>
                      {['name', 'post', 'place', 'due', 'visited', 'coverage', 'unvisited'].map((c) => (
                        <TableCell key={c} align={['due', 'visited', 'coverage'].includes(c) ? 'right' : 'left'}>
                          {label(c)}
                        </TableCell>
                      ))}
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {data.secretaries.map((s) => (
                      <TableRow key={s.userId}>
                        <TableCell data-label={label('name')}>{s.name}</TableCell>
                        <TableCell data-label={label('post')}>{postTitle(s.post, locale)}</TableCell>
                        <TableCell data-label={label('place')}>{[s.town, s.village].filter(Boolean).join('') || label('district')}</TableCell>
                        <TableCell align="right" data-label={label('due')}>{s.due}</TableCell>
                        <TableCell align="right" data-label={label('visited')}>{s.visited}</TableCell>
                        <TableCell align="right" data-label={label('coverage')}>
                          <strong>{s.coverage === null ? '—' : `${s.coverage.toFixed(1)}%`}</strong>
                        </TableCell>
                        <TableCell data-label={label('unvisited')}>
                          {s.unvisited.length === 0
                            ? label('all_visited')
                            : s.unvisited.slice(0, SHOWN).map(place).join(translate('fangfan.list_separator')) +
                              (s.unvisited.length > SHOWN ? translate('fangfan.supervision.secretaries.more', { count: s.unvisited.length }) : '')}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </Box>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
