# mock-idp in a container: docker build -t mock-idp . && docker run -p 8080:8080 mock-idp
# (then http://localhost:8080/default/.well-known/openid-configuration). Configure it with
# MOCK_IDP_* variables (README "mock-idp: mock IdPs on your laptop"), e.g.
#   docker run -p 8080:8080 -e MOCK_IDP_PUBLIC_URL=http://localhost:8080 \
#     -e MOCK_IDP_CONFIG=/srv/Mocks/idps/partner-oidc.yaml mock-idp
# This file is kept deliberately plain: the machine this project is built and tested on
# has no Docker, so it has never been built here.
FROM swift:6.3-noble AS build
RUN apt-get update && apt-get install -y --no-install-recommends libxml2-dev zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The flags of Benchmarks/mock-idp-footprint (RELEASE_FLAGS, which says why): the Swift
# runtime linked in; lld packing relative relocations (RELR, needs glibc 2.36+, as noble
# has); each function in a section of its own, the code a working mock runs laid out side
# by side (Mocks/mock-idp.order, written by Benchmarks/mock-idp-order).
RUN swift build -c release --product mock-idp --static-swift-stdlib \
      -Xcc -ffunction-sections -Xswiftc -Xfrontend -Xswiftc -function-sections \
      -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
      -Xlinker --symbol-ordering-file=/src/Mocks/mock-idp.order -Xlinker --no-warn-symbol-ordering

FROM ubuntu:noble
RUN apt-get update && apt-get install -y --no-install-recommends libxml2 zlib1g ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/.build/release/mock-idp /usr/local/bin/mock-idp
COPY Mocks /srv/Mocks
WORKDIR /srv
# Listen on every interface inside the container; name the URL clients use with
# MOCK_IDP_PUBLIC_URL when it is not http://localhost:8080.
# Fresh keys at each start: a container keeps nothing between starts (and `nobody` has no
# home to keep them in), and an image must never carry a key (README "Its keys").
ENV MOCK_IDP_HOST=0.0.0.0 MOCK_IDP_PORT=8080 MOCK_IDP_PUBLIC_URL=http://localhost:8080 MOCK_IDP_FRESH_KEYS=1
EXPOSE 8080
USER nobody
ENTRYPOINT ["mock-idp"]
