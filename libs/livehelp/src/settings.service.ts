import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import type { CannedAnswer, LiveHelpSettingsView, PushMode } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import { DataSource, type EntityManager } from 'typeorm';
import type { UpdateLiveHelpSettingsDto } from './dto/settings.dto';
import { livehelpErrors } from './errors';
import { assertAdmin } from './representatives';
import { parseOrigin, parsePrefix } from './url-policy';

interface SettingsRow {
  allowed_origins: string[];
  push_prefixes: string[];
  push_mode: PushMode;
  canned_answers: CannedAnswer[];
  area: Record<string, unknown> | null;
}

/** Each agency's Live Help settings: sites, pushable pages, push mode, answers, area. */
@Injectable()
export class LiveHelpSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async of(agencyId: string, manager = this.dataSource.manager): Promise<LiveHelpSettingsView> {
    const rows = (await manager.query(
      `SELECT allowed_origins, push_prefixes, push_mode, canned_answers,
              ST_AsGeoJSON(area::geometry)::json AS area
         FROM livehelp_settings WHERE agency_id = $1`,
      [agencyId],
    )) as SettingsRow[];
    const row = rows[0];

    return {
      agencyId,
      allowedOrigins: row?.allowed_origins ?? [],
      pushPrefixes: row?.push_prefixes ?? [],
      pushMode: row?.push_mode ?? 'same_tab',
      cannedAnswers: row?.canned_answers ?? [],
      area: row?.area ?? null,
    };
  }

  get(principal: Principal): Promise<LiveHelpSettingsView> {
    assertAdmin(principal);

    return this.of(principal.agencyId);
  }

  /** Whether any agency lets pages of this origin embed the widget (for CORS preflights). */
  async originKnown(origin: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      'SELECT 1 FROM livehelp_settings WHERE allowed_origins @> ARRAY[$1]::text[] LIMIT 1',
      [origin],
    )) as unknown[];

    return rows.length > 0;
  }

  async update(principal: Principal, dto: UpdateLiveHelpSettingsDto) {
    assertAdmin(principal);
    const current = await this.of(principal.agencyId);
    const next: LiveHelpSettingsView = {
      agencyId: principal.agencyId,
      allowedOrigins: dto.allowedOrigins ? origins(dto.allowedOrigins) : current.allowedOrigins,
      pushPrefixes: dto.pushPrefixes ? prefixes(dto.pushPrefixes) : current.pushPrefixes,
      pushMode: dto.pushMode ?? current.pushMode,
      cannedAnswers:
        dto.cannedAnswers?.map(({ title, body }) => ({ title, body })) ?? current.cannedAnswers,
      area: dto.area === undefined ? current.area : dto.area,
    };
    assertPrefixesOnSites(next.pushPrefixes, next.allowedOrigins);
    if (dto.area) await this.assertArea(dto.area);

    return this.dataSource.transaction(async (manager) => {
      await this.save(manager, principal, next);
      await this.audit.record(manager, {
        agencyId: principal.agencyId,
        actorId: principal.userId,
        action: 'livehelp.settings_changed',
        targetType: 'agency',
        targetId: principal.agencyId,
        data: {
          allowedOrigins: next.allowedOrigins,
          pushPrefixes: next.pushPrefixes,
          pushMode: next.pushMode,
          cannedAnswers: next.cannedAnswers.length,
          area: next.area !== null,
        },
      });

      return this.of(principal.agencyId, manager);
    });
  }

  private async save(manager: EntityManager, principal: Principal, next: LiveHelpSettingsView) {
    await manager.query(
      `INSERT INTO livehelp_settings (agency_id, allowed_origins, push_prefixes, push_mode,
              canned_answers, area, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5,
               ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($6), 4326))::geography, $7, now())
       ON CONFLICT (agency_id) DO UPDATE SET allowed_origins = EXCLUDED.allowed_origins,
         push_prefixes = EXCLUDED.push_prefixes, push_mode = EXCLUDED.push_mode,
         canned_answers = EXCLUDED.canned_answers, area = EXCLUDED.area,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [
        principal.agencyId,
        next.allowedOrigins,
        next.pushPrefixes,
        next.pushMode,
        JSON.stringify(next.cannedAnswers),
        next.area === null ? null : JSON.stringify(next.area),
        principal.userId,
      ],
    );
  }

  /** A valid Polygon or MultiPolygon, checked before any write (a bad one is a 400). */
  private async assertArea(area: Record<string, unknown>): Promise<void> {
    const refuse = () =>
      livehelpErrors.invalid('livehelp.area_invalid', 'area is a valid GeoJSON (Multi)Polygon');
    if (area.type !== 'Polygon' && area.type !== 'MultiPolygon') throw refuse();
    try {
      const [row] = (await this.dataSource.query(
        'SELECT ST_IsValid(ST_GeomFromGeoJSON($1)) AS valid',
        [JSON.stringify(area)],
      )) as { valid: boolean }[];
      if (!row.valid) throw refuse();
    } catch {
      throw refuse();
    }
  }
}

function origins(values: string[]): string[] {
  const parsed = values.map((value) => ({ value, origin: parseOrigin(value) }));
  const bad = parsed.filter((entry) => !entry.origin).map((entry) => entry.value);
  if (bad.length > 0) {
    throw livehelpErrors.invalid(
      'livehelp.origin_invalid',
      'allowed sites are origins such as https://www.example.org',
      { invalid: bad },
    );
  }

  return [...new Set(parsed.map((entry) => entry.origin!))];
}

function prefixes(values: string[]): string[] {
  const parsed = values.map((value) => ({ value, prefix: parsePrefix(value) }));
  const bad = parsed.filter((entry) => !entry.prefix).map((entry) => entry.value);
  if (bad.length > 0) {
    throw livehelpErrors.invalid('livehelp.prefix_invalid', 'push prefixes are absolute URLs', {
      invalid: bad,
    });
  }

  return [...new Set(parsed.map((entry) => entry.prefix!))];
}

function assertPrefixesOnSites(pushPrefixes: string[], allowedOrigins: string[]): void {
  const outside = pushPrefixes.filter((prefix) => !allowedOrigins.includes(new URL(prefix).origin));
  if (outside.length > 0) {
    throw livehelpErrors.invalid(
      'livehelp.prefix_outside_sites',
      'every push prefix must be on one of the allowed sites',
      { invalid: outside },
    );
  }
}
