import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { promoteGetRoute } from '@tocsin/http';
import type express from 'express';

/** Read routes asked many times a second: Express finds them first (see promoteGetRoute). */
const HOT_GET_ROUTES = ['/api/alerts'];

/** Runs once Nest has added its routes (they are in place before the bootstrap hooks). */
@Injectable()
export class HotRoutes implements OnApplicationBootstrap {
  private readonly logger = new Logger(HotRoutes.name);

  constructor(private readonly adapter: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const server = this.adapter.httpAdapter.getInstance<express.Express>();
    for (const path of HOT_GET_ROUTES) {
      // Not fatal: the route still answers, after the routes ahead of it.
      if (!promoteGetRoute(server, path)) this.logger.warn({ path }, 'hot route left in place');
    }
  }
}
