# A proxy action outlives the household member it was for (SET_NULL plus the name at the time),
# and records its basis (guardian of a minor, or a delegation).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_site_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='proxyaction',
            name='subject_name',
            field=models.CharField(blank=True, help_text='The name of the person acted for, as it was at the time.', max_length=150, verbose_name='on behalf of (name)'),
        ),
        migrations.AlterField(
            model_name='proxyaction',
            name='subject_member',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.householdmember', verbose_name='on behalf of (household member)'),
        ),
        migrations.AddField(
            model_name='proxyaction',
            name='basis',
            field=models.CharField(choices=[('guardian', 'Head of household for a minor'), ('delegation', 'Delegation')], default='delegation', max_length=20, verbose_name='basis'),
            preserve_default=False,
        ),
    ]
