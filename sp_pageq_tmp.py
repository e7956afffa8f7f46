import os, sys, time, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE','vanlang.settings'); django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS=["*"]; settings.SECURE_SSL_REDIRECT=False
from django.db import connection
from django.test import Client
from django.contrib.auth import get_user_model
from bench.profiles import NATIONAL_USER
user = get_user_model().objects.get(username=NATIONAL_USER)
c = Client(); c.force_login(user)
times=[]
def wrap(execute, sql, params, many, context):
    s=time.perf_counter()
    try: return execute(sql, params, many, context)
    finally: times.append((1000*(time.perf_counter()-s), sql[:300]))
for url in sys.argv[1:]:
    for i in range(2):
        times.clear()
        s=time.perf_counter()
        with connection.execute_wrapper(wrap):
            r=c.get(url, secure=True)
        total=1000*(time.perf_counter()-s)
    print(url, r.status_code, f"{total:.0f} ms")
    for t, q in sorted(times, reverse=True)[:5]:
        print(f"   {t:7.1f} {q}")
