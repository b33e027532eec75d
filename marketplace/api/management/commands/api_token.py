"""Make, list or revoke API tokens from the shell: ``manage.py api_token create|list|revoke``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from marketplace.api import tokens
from marketplace.api.models import ApiToken


class Command(BaseCommand):
    help = "创建、列出或作废用户的接口令牌（密钥只在创建时显示一次）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建令牌")
        create.add_argument("--user", required=True, help="用户的登录名或邮箱")
        create.add_argument("--name", required=True)
        create.add_argument("--scope", action="append", dest="scopes", required=True,
                            help=f"可重复：{', '.join(tokens.SCOPES)}")
        listing = sub.add_parser("list", help="列出用户的令牌")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="作废令牌")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("--prefix", required=True, help="令牌开头（列表里的“开头”）")

    def handle(self, *args, action, **options):
        user = self._user(options["user"])
        if action == "create":
            try:
                issued = tokens.issue_token(user=user, name=options["name"], scopes=options["scopes"])
            except ValidationError as error:
                raise CommandError("；".join(error.messages)) from error
            self.stdout.write(issued.secret)
            self.stderr.write("密钥只显示这一次，请妥善保存。")
        elif action == "list":
            for token in tokens.tokens_for(user=user):
                state = "已作废" if token.revoked_at else "有效"
                self.stdout.write(f"{token.prefix}\t{token.name}\t{','.join(token.scopes)}\t{state}")
        else:
            found = ApiToken.objects.filter(user=user, prefix=options["prefix"]).first()
            if found is None:
                raise CommandError("这个用户没有这个开头的令牌。")
            tokens.revoke_token(token=found, user=user)
            self.stdout.write(f"已作废：{found.prefix} {found.name}")

    def _user(self, name: str):
        User = get_user_model()
        user = User.objects.filter(username=name).first() or User.objects.filter(email__iexact=name).first()
        if user is None:
            raise CommandError(f"没有找到用户：{name}")
        return user
