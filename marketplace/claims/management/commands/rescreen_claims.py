"""python manage.py rescreen_claims [--unpublish]: every product against the current lexicon."""

from django.core.management.base import BaseCommand

from marketplace.claims import rescreen


class Command(BaseCommand):
    help = "按现在的广告违规用语表重新检查全部商品的标题、描述和属性；加 --unpublish 把有问题的商品下架。"

    def add_arguments(self, parser):
        parser.add_argument("--unpublish", action="store_true",
                            help="把有问题、仍在上架的商品下架（商家改正后可重新上架）。")

    def handle(self, *args, unpublish=False, **options):
        checked, flagged = rescreen.flagged_products()
        for row in flagged:
            product = row.product
            self.stdout.write(f"商品 #{product.pk}「{product.title}」：")
            for finding in row.findings:
                self.stdout.write(f"  - {finding.message}（原文：{finding.excerpt}）")
        summary = f"共检查 {checked} 件商品，{len(flagged)} 件有问题。"
        if unpublish:
            taken = rescreen.take_off_sale(flagged=flagged)
            summary += f"已下架 {len(taken)} 件。"
        elif flagged:
            summary += "加 --unpublish 可把它们下架。"
        self.stdout.write(self.style.WARNING(summary) if flagged else self.style.SUCCESS(summary))
