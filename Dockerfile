# syntax=docker/dockerfile:1
# ARR-COC Microscope: the Blazor Server app as a container (a Hugging Face Docker Space, or anywhere).
#
#   docker build -t arrcoc-microscope .                              # CPU image (default)
#   docker build --build-arg VARIANT=cuda -t arrcoc-microscope:cuda .  # GPU image (CUDA 12.8, see README)
#   docker run -p 7860:7860 -e Engine__Model=Qwen/Qwen3-VL-2B-Instruct arrcoc-microscope
#
# Both stages are Ubuntu 24.04 (libstdc++ with GLIBCXX_3.4.33), so TorchSharp loads as shipped: the build's
# Debian-12 libstdc++ fix (build/TorchSharpGlibcxxFix.targets) finds nothing to do here.
# Configuration comes from environment variables (ASP.NET Core: Section__Key); secrets such as HF_TOKEN only from
# the environment at run time, never from build arguments or layers.

ARG VARIANT=cpu

# ---- build: the SDK publishes the app (framework-dependent for CPU, self-contained for the CUDA base) ----
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG VARIANT
WORKDIR /src
COPY . .
RUN if [ "$VARIANT" = "cuda" ]; then \
        dotnet publish src/ArrCoc.Microscope -c Release -o /app -p:TorchBackend=cuda -r linux-x64 --self-contained true; \
    else \
        dotnet publish src/ArrCoc.Microscope -c Release -o /app; \
    fi

# ---- runtime, CPU: the ASP.NET Core runtime image (the -noble tags pin Ubuntu 24.04) ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime-cpu

# ---- runtime, CUDA: NVIDIA's CUDA 12.8 runtime (LibTorch 2.10's CUDA) on Ubuntu 24.04; the app is self-contained ----
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime-cuda
RUN apt-get update \
    && apt-get install -y --no-install-recommends libicu74 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
ENV Engine__Device=cuda \
    Engine__Dtype=bfloat16

# ---- final ----
FROM runtime-${VARIANT} AS final
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# Spaces run containers as uid 1000. Ubuntu 24.04 images already have a uid-1000 user ("ubuntu"): rename it to
# "user" with home /home/user, or create it where it is absent.
RUN if getent passwd 1000 >/dev/null; then \
        usermod --login user --home /home/user --move-home "$(getent passwd 1000 | cut -d: -f1)"; \
    else \
        useradd --create-home --uid 1000 user; \
    fi
ENV HOME=/home/user \
    ASPNETCORE_URLS=http://0.0.0.0:7860 \
    DOTNET_RUNNING_IN_CONTAINER=true
WORKDIR /app
COPY --from=build --chown=1000:1000 /app /app
COPY --chown=1000:1000 docker/entrypoint.sh /app/entrypoint.sh
USER 1000
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl --fail --silent http://127.0.0.1:7860/healthz || exit 1
ENTRYPOINT ["/bin/sh", "/app/entrypoint.sh"]
