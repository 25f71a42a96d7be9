import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type Principal } from '@tocsin/http';
import { LocationDto } from './dto/location.dto';
import { LocationsService } from './locations.service';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('me/location')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report my position (opt-in)',
    description:
      'Stores the latest position; active alerts of my agency whose area contains it reach me ' +
      'at once. Positions older than LOCATION_MAX_AGE_MINUTES are not used for targeting.',
  })
  report(@CurrentUser() principal: Principal, @Body() dto: LocationDto) {
    return this.locations.report(principal, dto);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget my position', description: 'Stops location targeting.' })
  async forget(@CurrentUser() principal: Principal): Promise<void> {
    await this.locations.forget(principal);
  }
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('responders/positions')
export class ResponderPositionsController {
  constructor(private readonly locations: LocationsService) {}

  @Get()
  @ApiOperation({
    summary: "Where the agency's people are",
    description:
      "Admins, dispatchers and observers: the last position of each of the agency's users who " +
      'share theirs, younger than LOCATION_MAX_AGE_MINUTES. Others get 403.',
  })
  list(@CurrentUser() principal: Principal) {
    return this.locations.positionsForStaff(principal);
  }
}
