/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code?: string;
  requestId?: string;
  details?: Record<string, unknown>;
}
