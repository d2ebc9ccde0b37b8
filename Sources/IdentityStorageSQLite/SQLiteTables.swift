import Foundation
import GRDB
import IdentityCore
import IdentityStorage

extension SQLiteTable {
    /// The table `layout` describes (the migrations made it so).
    init(_ layout: RecordLayout<Value>, writer: any DatabaseWriter) {
        self.init(writer: writer, table: layout.table, what: layout.what, primary: layout.primary, uniques: layout.unique, indexed: layout.indexed)
    }
}

/// SQLite's tables for the aggregates (``AggregateLayouts``); the stores themselves are the
/// shared ``DocumentStores`` ones.
enum SQLiteTables {
    static func serviceProviders(writer: any DatabaseWriter, sections: SectionRegistry) -> SQLiteTable<ServiceProvider> {
        var table = SQLiteTable(AggregateLayouts.serviceProviders, writer: writer)
        table.lookups = .init(table: AggregateLayouts.serviceProviderLookups, read: { $0.lookupKeys })
        table.userInfo = sections.userInfo
        return table
    }

    static func identityProviders(writer: any DatabaseWriter, sections: SectionRegistry) -> SQLiteTable<IdentityProvider> {
        var table = SQLiteTable(AggregateLayouts.identityProviders, writer: writer)
        table.userInfo = sections.userInfo
        return table
    }
}
