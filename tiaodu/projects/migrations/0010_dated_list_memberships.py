"""Lists become dated: a membership has a start and an end. The memberships there are
start on the first day of their list's year, as the list stood when it was published."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models


def _start_with_the_year(apps, schema_editor):
    membership = apps.get_model("projects", "ListMembership")
    years = membership.objects.values_list("key_project_list__year", flat=True).distinct()
    for year in years:
        membership.objects.filter(key_project_list__year=year).update(start=dt.date(year, 1, 1))


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0009_taskforces'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='listmembership',
            name='listmembership_unique',
        ),
        migrations.RemoveField(
            model_name='annualplan',
            name='lists',
        ),
        migrations.AddField(
            model_name='listmembership',
            name='end',
            field=models.DateField(blank=True, null=True, verbose_name='off the list from'),
        ),
        migrations.AddField(
            model_name='listmembership',
            name='start',
            field=models.DateField(null=True, verbose_name='on the list from'),
        ),
        migrations.RunPython(_start_with_the_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='listmembership',
            name='start',
            field=models.DateField(verbose_name='on the list from'),
        ),
        migrations.AlterField(
            model_name='listmembership',
            name='annual_plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='projects.annualplan', verbose_name='annual plan entry'),
        ),
        migrations.AlterField(
            model_name='listmembership',
            name='key_project_list',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='projects.keyprojectlist', verbose_name='key-project list'),
        ),
        migrations.AddIndex(
            model_name='listmembership',
            index=models.Index(fields=['key_project_list', 'start'], name='listmembership_list_idx'),
        ),
        migrations.AddIndex(
            model_name='listmembership',
            index=models.Index(fields=['annual_plan', 'start'], name='listmembership_plan_idx'),
        ),
        migrations.AddConstraint(
            model_name='listmembership',
            constraint=models.UniqueConstraint(condition=models.Q(('end__isnull', True)), fields=('key_project_list', 'annual_plan'), name='listmembership_one_open'),
        ),
        migrations.AddConstraint(
            model_name='listmembership',
            constraint=models.CheckConstraint(condition=models.Q(('end__isnull', True), ('end__gt', models.F('start')), _connector='OR'), name='listmembership_end_after_start'),
        ),
    ]
