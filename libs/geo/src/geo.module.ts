import { Module } from '@nestjs/common';
import { GeometryChecker } from './geometry-checker';

@Module({ providers: [GeometryChecker], exports: [GeometryChecker] })
export class GeoModule {}
