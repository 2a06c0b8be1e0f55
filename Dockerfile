# Townhall: one static binary, data in the /pb_data volume.
#   docker build -t townhall --build-arg VERSION=1.4.0 .
#   docker run -p 8090:8090 -v townhall-data:/pb_data townhall
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# the same flags .ci/run builds with; VERSION is what `townhall --version` prints
# (without it: the commit, when the build context has .git)
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/townhall-portal/townhall/internal/cli.Version=${VERSION}" -o /out/townhall . \
    && mkdir -p /out/pb_data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/townhall /townhall
COPY --from=build --chown=65532:65532 /out/pb_data /pb_data
USER 65532:65532
VOLUME ["/pb_data"]
EXPOSE 8090
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/townhall", "health"]
ENTRYPOINT ["/townhall", "--dir", "/pb_data"]
CMD ["serve", "--http", "0.0.0.0:8090"]
