import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param.pipe';
import type { AuthUser } from '../users/auth-user';
import { CurrentUser } from '../users/current-user.decorator';
import { RequirePermission } from '../users/require-permission.decorator';
import type { CaseState, CommitmentView } from './case-workflow.repository';
import { CommitmentBody, FaultBody, HandOverBody, NoteBody, ReplyBody } from './case-workflow.dto';
import { CaseWorkflowService, type ReplyOutcome } from './case-workflow.service';

const caseId = (): ParameterDecorator => Param('id', new UuidParam('case id'));

@ApiTags('cases')
@Controller('cases/:id')
@RequirePermission('cases:work')
export class CaseWorkflowController {
  constructor(private readonly workflow: CaseWorkflowService) {}

  @Post('claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take an unowned case; 409 when someone else owns it (of two claims at once, one wins)' })
  claim(@CurrentUser() user: AuthUser, @caseId() id: string): Promise<CaseState> {
    return this.workflow.claim(user, id);
  }

  @Post('hand-over')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the case to a colleague, saying why; the owner or a supervisor' })
  handOver(@CurrentUser() user: AuthUser, @caseId() id: string, @Body() body: HandOverBody): Promise<CaseState> {
    return this.workflow.handOver(user, id, body);
  }

  @Post('replies')
  @ApiOperation({
    summary: 'Reply in public through the case’s platform; 409 when it nearly repeats an earlier reply (send again with confirmRepeat)',
  })
  reply(@CurrentUser() user: AuthUser, @caseId() id: string, @Body() body: ReplyBody): Promise<ReplyOutcome> {
    return this.workflow.reply(user, id, body);
  }

  @Post('fault')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decide who was at fault: company, customer, third_party or unknown' })
  fault(@CurrentUser() user: AuthUser, @caseId() id: string, @Body() body: FaultBody): Promise<CaseState> {
    return this.workflow.setFault(user, id, body);
  }

  @Post('commitments')
  @ApiOperation({ summary: 'Record a promised follow-up with its due time' })
  commit(@CurrentUser() user: AuthUser, @caseId() id: string, @Body() body: CommitmentBody): Promise<CommitmentView> {
    return this.workflow.addCommitment(user, id, body);
  }

  @Post('commitments/:commitmentId/keep')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a promise kept' })
  keep(
    @CurrentUser() user: AuthUser,
    @caseId() id: string,
    @Param('commitmentId', new UuidParam('commitment id')) commitmentId: string,
    @Body() body: NoteBody,
  ): Promise<CommitmentView> {
    return this.workflow.settleCommitment(user, id, commitmentId, 'kept', body.note);
  }

  @Post('commitments/:commitmentId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a promise (say why in the note)' })
  cancel(
    @CurrentUser() user: AuthUser,
    @caseId() id: string,
    @Param('commitmentId', new UuidParam('commitment id')) commitmentId: string,
    @Body() body: NoteBody,
  ): Promise<CommitmentView> {
    return this.workflow.settleCommitment(user, id, commitmentId, 'cancelled', body.note);
  }

  @Post('wait-on-customer')
  @HttpCode(200)
  @ApiOperation({ summary: 'The ball is in the customer’s court' })
  wait(@CurrentUser() user: AuthUser, @caseId() id: string, @Body() body: NoteBody): Promise<CaseState> {
    return this.workflow.waitOnCustomer(user, id, body.note);
  }

  @Post('resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve; 409 naming each unmet obligation (acknowledgement, apology, fault, open promises)' })
  resolve(@CurrentUser() user: AuthUser, @caseId() id: string, @Body() body: NoteBody): Promise<CaseState> {
    return this.workflow.resolve(user, id, body.note);
  }

  @Post('close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a resolved case' })
  close(@CurrentUser() user: AuthUser, @caseId() id: string, @Body() body: NoteBody): Promise<CaseState> {
    return this.workflow.close(user, id, body.note);
  }
}
