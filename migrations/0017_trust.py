from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from domain.enums import VerificationState


class Migration(migrations.Migration):
    dependencies = [('models', '0016_accounts')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Employment',
            name='verification',
            field=fields.CharEnumField(default=VerificationState.UNVERIFIED, description='UNVERIFIED: UNVERIFIED\nREQUESTED: REQUESTED\nVERIFIED: VERIFIED\nDISPUTED: DISPUTED', enum_type=VerificationState, max_length=20),
        ),
        ops.RemoveField(model_name='Review', name='verified'),
    ]
