// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Ledgerline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "billingd", targets: ["billingd"]),
        .executable(name: "billingctl", targets: ["billingctl"]),
        .library(name: "BillingClient", targets: ["BillingClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CLibHaru",
            providers: [.apt(["libhpdf-dev"])]
        ),
        .target(name: "BillingDocuments", dependencies: ["CLibHaru"]),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "EmbeddedPostgres",
            dependencies: ["Postgres"]
        ),
        .target(name: "BillingCore"),
        .target(
            name: "BillingStore",
            dependencies: [
                "Postgres",
                "BillingCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "BillingProtocol", dependencies: ["BillingCore"]),
        .target(
            name: "BillingJobs",
            dependencies: [
                "BillingServices",
                "BillingStore",
                "BillingCore",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "BillingServices",
            dependencies: [
                "BillingStore",
                "BillingCore",
                "BillingProtocol",
                "BillingDocuments",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "BillingServer",
            dependencies: [
                "BillingServices",
                "BillingProtocol",
                "BillingStore",
                "Postgres",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "BillingClient",
            dependencies: [
                "BillingProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "billingd",
            dependencies: [
                "BillingJobs",
                "BillingServer",
                "BillingStore",
                "EmbeddedPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "billingctl",
            dependencies: [
                "BillingClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "EmbeddedPostgres", "BillingStore"],
            path: "Tests/TestSupport"
        ),
        .executableTarget(
            name: "ledgerline-bench",
            dependencies: [
                "BillingServer",
                "BillingServices",
                "BillingStore",
                "BillingClient",
                "EmbeddedPostgres",
                "BillingDocuments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "JobFixtureWorker",
            dependencies: [
                "BillingJobs",
                "BillingStore",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/JobFixtureWorker"
        ),
        .testTarget(name: "BillingCoreTests", dependencies: ["BillingCore"]),
        .testTarget(
            name: "BillingJobsTests",
            dependencies: [
                "BillingJobs", "BillingCore", "BillingProtocol", "BillingServices", "BillingClient", "TestSupport",
                "JobFixtureWorker",
            ]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "EmbeddedPostgres", "TestSupport"]),
        .testTarget(name: "BillingStoreTests", dependencies: ["BillingStore", "TestSupport"]),
        .testTarget(name: "BillingProtocolTests", dependencies: ["BillingProtocol", "BillingCore"]),
        .testTarget(name: "BillingServicesTests", dependencies: ["BillingServices", "Postgres"]),
        .testTarget(
            name: "BillingServerTests",
            dependencies: [
                "BillingServer", "BillingClient", "BillingServices", "TestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
