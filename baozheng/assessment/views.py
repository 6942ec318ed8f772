from django.http import HttpResponse


def index(request):
    return HttpResponse("")


def run_detail(request, pk):
    return HttpResponse("")
